"""Performance measures: figures, the scorecard, narratives and chasers (docs/kpi.md)."""
