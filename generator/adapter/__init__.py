"""The adapter to the site builder: the MkDocs hook and the steps it runs around the build."""
