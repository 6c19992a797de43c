"""The public face of the plan (/public/…): the dashboard of the closed rounds and each
project's published record, for anyone, signed in or not. Never an open round's data."""
