"""LINE: the webhook (verify, record, acknowledge), event translation, rendering and delivery."""
