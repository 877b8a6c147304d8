"""Pure text work: safe display of untrusted strings, HTML to text, reply quoting, dates."""
