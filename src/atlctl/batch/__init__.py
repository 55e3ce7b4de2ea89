"""Scripting and bulk: run, runFromCsv, runFromList (docs/scripting.md)."""
