"""The session service: the embedded back end the SDK double talks to."""
