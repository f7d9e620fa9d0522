"""The shared kernel: settings, database engine and sessions, ORM tables. Imports none of our packages."""
