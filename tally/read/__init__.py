"""Reading: raw files to decoded texts (`files`, `decoding`) and the structure of a text
(`structure`: lines and headings, `blocks`: lists, tables and paragraphs, `context`: lines and
sentences by position, `language`)."""
