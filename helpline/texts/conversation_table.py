"""The SMS of conversations by text (contract section 7), part of the one catalogue's SMS table.

Kept apart from sms_table.py only for size; catalogue.py joins the two (an id may stand in one of
them only). The composers that fill them are in helpline.sms.conversation_texts.
"""
from __future__ import annotations

CONVERSATION_SMS: dict[str, dict[str, str]] = {
    # --- to the assignee ---------------------------------------------------------------------------
    "conversation_assignment": {
        "fi": "{previous}{channel} #{ref}: {number} ({e164}) kirjoitti{when}: {words} "
              "Vastaa: VASTAA {ref} <teksti> / VALMIS {ref} / OHITA {ref}",
        "sv": "{previous}{channel} #{ref}: {number} ({e164}) skrev{when}: {words} "
              "Svara: SVARA {ref} <text> / KLAR {ref} / PASSA {ref}",
        "en": "{previous}{channel} #{ref}: {number} ({e164}) wrote{when}: {words} "
              "Reply: REPLY {ref} <text> / DONE {ref} / PASS {ref}",
    },
    "channel_sms": {"fi": "Tekstiviesti", "sv": "SMS", "en": "Text"},
    "channel_chat": {"fi": "Chat-viesti", "sv": "Chattmeddelande", "en": "Chat message"},
    "channel_voice": {"fi": "Soittopyyntö", "sv": "Återuppringning", "en": "Callback"},
    # A web chat visitor who left no number stands where a caller's number would.
    "chat_visitor": {"fi": "verkkochatin kävijä", "sv": "en besökare i webbchatten", "en": "a web chat visitor"},
    # Before words typed in the web chat by someone who gave a number whose SMS conversation or
    # callback was open: they joined it, but a typed number proves nothing.
    "unverified_chat": {"fi": "(verkkochatista, numeroa ei varmistettu)", "sv": "(från webbchatten, numret ej bekräftat)",
                        "en": "(from the web chat, number not verified)"},
    "forwarded": {
        "fi": "#{ref} {number} kirjoitti: {words} Vastaa: VASTAA {ref} <teksti>",
        "sv": "#{ref} {number} skrev: {words} Svara: SVARA {ref} <text>",
        "en": "#{ref} {number} wrote: {words} Reply: REPLY {ref} <text>",
    },
    "at_clock": {"fi": "klo {clock}", "sv": "kl. {clock}", "en": "{clock}"},
    "cut": {"fi": "(+{count} merkkiä sivulla)", "sv": "(+{count} tecken på sidan)", "en": "(+{count} characters on the page)"},
    "empty_text": {"fi": "(tyhjä viesti)", "sv": "(tomt meddelande)", "en": "(empty message)"},
    "caller_stopped": {
        "fi": "#{ref}: soittaja {number} lähetti STOP, joten linja ei voi enää lähettää hänelle tekstiviestejä. "
              "Soita tai sulje: VALMIS {ref}.",
        "sv": "#{ref}: {number} skickade STOP, så linjen kan inte längre sms:a hen. Ring eller stäng: KLAR {ref}.",
        "en": "#{ref}: the caller {number} sent STOP, so the line can no longer text them. Call them or close: "
              "DONE {ref}.",
    },
    # --- replies to REPLY that could not be sent ----------------------------------------------------
    "reply_empty": {"fi": "Viestissä ei ollut tekstiä soittajalle. Kirjoita esim. VASTAA {ref} Hei, soitan sinulle.",
                    "sv": "Det fanns ingen text till den som skrev. Skriv t.ex. SVARA {ref} Hej, jag ringer dig.",
                    "en": "There was no text for the caller. Write e.g. REPLY {ref} Hello, I will call you."},
    "reply_too_long": {
        "fi": "Vastaus #{ref} on liian pitkä ({count} tekstiviestin osaa, enintään {max}: noin {room} merkkiä, "
              "tai {room_ucs2} jos mukana on hymiöitä). Sitä ei lähetetty. Lyhennä tai jaa kahteen.",
        "sv": "Svaret till #{ref} är för långt ({count} SMS-delar, högst {max}: cirka {room} tecken, eller "
              "{room_ucs2} med emojier). Det skickades inte. Korta eller dela det.",
        "en": "Your reply to #{ref} is too long ({count} SMS parts, at most {max}: about {room} characters, or "
              "{room_ucs2} with emoji). It was not sent. Shorten it or split it in two.",
    },
    "reply_opted_out": {
        "fi": "Vastausta #{ref} ei lähetetty: soittaja on kieltänyt tekstiviestit (STOP). Soita tai sulje: VALMIS {ref}.",
        "sv": "Svaret till #{ref} skickades inte: den som skrev har stoppat SMS (STOP). Ring eller stäng: KLAR {ref}.",
        "en": "Your reply to #{ref} was not sent: the caller has stopped SMS (STOP). Call them or close: DONE {ref}.",
    },
    "reply_no_sms": {
        "fi": "Vastausta #{ref} ei lähetetty: soittajan numeroon ei voi lähettää tekstiviestiä.",
        "sv": "Svaret till #{ref} skickades inte: numret kan inte ta emot SMS.",
        "en": "Your reply to #{ref} was not sent: the caller's number cannot get an SMS.",
    },
    "reply_chat_ended": {
        "fi": "Vastausta #{ref} ei lähetetty: kävijä on lopettanut verkkochatin. Sulje: VALMIS {ref}.",
        "sv": "Svaret till #{ref} skickades inte: besökaren har avslutat webbchatten. Stäng: KLAR {ref}.",
        "en": "Your reply to #{ref} was not sent: the visitor has ended the web chat. Close: DONE {ref}.",
    },
    "help_reply": {"fi": "VASTAA 12 <teksti> lähettää soittajalle tekstiviestin linjan numerosta.",
                   "sv": "SVARA 12 <text> skickar ett SMS till den som skrev, från linjens nummer.",
                   "en": "REPLY 12 <text> texts the caller from the line's number."},
    # --- to the caller ----------------------------------------------------------------------------------
    "closed_answer": {
        "fi": "Kiitos viestistäsi. Linja on nyt kiinni. Päivystäjä vastaa sinulle, kun olemme taas avoinna "
              "{opens}. Hätätilanteessa soita 112.",
        "sv": "Tack för ditt meddelande. Linjen är stängd nu. Vi svarar dig när vi har öppet igen {opens}. "
              "I en nödsituation, ring 112.",
        "en": "Thank you for your message. The line is closed now. Someone will answer you when we open again "
              "{opens}. In an emergency call 112.",
    },
    "closed_answer_no_hours": {
        "fi": "Kiitos viestistäsi. Linja on nyt kiinni, ja päivystäjä vastaa sinulle mahdollisimman pian. "
              "Hätätilanteessa soita 112.",
        "sv": "Tack för ditt meddelande. Linjen är stängd nu, vi svarar dig så snart vi kan. "
              "I en nödsituation, ring 112.",
        "en": "Thank you for your message. The line is closed now; someone will answer you as soon as we can. "
              "In an emergency call 112.",
    },
    "opens_today": {"fi": "tänään klo {clock}", "sv": "i dag kl. {clock}", "en": "today at {clock}"},
    "opens_tomorrow": {"fi": "huomenna klo {clock}", "sv": "i morgon kl. {clock}", "en": "tomorrow at {clock}"},
    "opens_weekday": {"fi": "{weekday} klo {clock}", "sv": "på {weekday} kl. {clock}", "en": "on {weekday} at {clock}"},
    "opens_date": {"fi": "{date} klo {clock}", "sv": "{date} kl. {clock}", "en": "on {date} at {clock}"},
}
