"""Stage 1: read the sources under a content root into the model."""
