"""Speed guards that do not depend on the machine: statement counts and query plans."""
