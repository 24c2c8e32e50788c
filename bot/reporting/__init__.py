"""The reporting side: the daily digest, the board report, exports and the figures they share."""
