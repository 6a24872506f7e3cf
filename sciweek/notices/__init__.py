"""Notice import: extract/ reads a notice into a draft; importing/ reviews it and creates the campaign."""
