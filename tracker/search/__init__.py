"""Search over everything the team wrote down: the index (``index``), what each record
puts in it (``sources``), how text is folded (``normalize``) and how a query is answered
within what the reader may see (``query``)."""
