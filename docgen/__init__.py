"""docgen: Chinese official documents (公文) laid out to GB/T 9704-2012."""

__version__ = "0.1.0"
