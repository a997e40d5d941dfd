"""Local stand-ins for outside APIs, served over real HTTP on 127.0.0.1."""
