"""A stateful, faithful stand-in for the Microsoft Graph endpoints olk-tui uses (and the
identity endpoints MSAL talks to), with fault injection and a seeded demo mailbox."""
