"""The only package that imports twilio: TwiML builders, the SMS/REST client and signatures."""
