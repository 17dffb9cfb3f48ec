"""Stage 3: lay out HTML and write the output files, one small module per output kind."""
