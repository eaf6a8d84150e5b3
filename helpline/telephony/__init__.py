"""The only package that imports twilio.

- client.py: :class:`TwilioGateway`, the one client of Twilio's REST API (SMS, calls, recordings)
- errors.py: what can go wrong with it, in our own words, and the one translation into them
- resources.py: what it hands back (a message, a placed call, a recording, an audio stream)
- twiml.py, bridge.py, prompts.py: the TwiML documents (our own ``Twiml`` type) and their words
- signatures.py: checking X-Twilio-Signature, and signing for the test client
"""
