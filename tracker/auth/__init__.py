"""Who is signed in: the user loader and the access kept per worker."""
