"""Writes and reads for assessments, by topic: ``answers`` (saving, submitting),
``invitations`` (personal links) and ``scoring`` (the engagement's result and methodology)."""
