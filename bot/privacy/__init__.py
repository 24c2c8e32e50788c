"""The office's data-protection duties: retention, subject access, erasure and rectification."""
