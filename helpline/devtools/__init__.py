"""Development and test tools shared by tests/ and the demo: a Twilio-like call client and a fake Twilio REST API."""
