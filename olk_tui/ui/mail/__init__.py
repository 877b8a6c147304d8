"""The mail mode: folder tree, virtual message list, reader and search."""
