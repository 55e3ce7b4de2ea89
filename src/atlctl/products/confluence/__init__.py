"""Confluence Server/Data Center and Confluence Cloud."""
