"""Serious incidents and rapid reviews: statutory working-day clocks (docs/reviews.md)."""
