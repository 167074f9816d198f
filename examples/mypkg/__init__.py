"""A reader's package, for the `package.module:name` example of docs/oracle.md."""
