"""Confluence Data Center (under /confluence) and Confluence Cloud (under /cloud/wiki) for the sandbox."""
