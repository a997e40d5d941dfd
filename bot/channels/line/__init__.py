"""LINE: the webhook (verify, record, acknowledge), the answering (claim, turn, deliver, sweep),
event translation, rendering and delivery."""
