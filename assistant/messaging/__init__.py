"""Text messaging: inbound keywords, conversation bookkeeping, outbound sending/recording."""
