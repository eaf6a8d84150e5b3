"""The SMS table of the catalogue: every SMS the line sends, in Finnish, Swedish and English.

Conventions: staff texts are short and in GSM-7 (ä ö å are in it; use '-' rather than a dash, and
straight quotes), so that an assignment fits in two segments; the example reference in usage texts
is 12. tests/texts/test_catalogue.py renders each text with the longest values it can carry. The
caller's feedback question says that answering is optional, because a caller in a hard spot
should not feel tested.
"""
from __future__ import annotations

SMS: dict[str, dict[str, str]] = {
    # --- to the assignee -----------------------------------------------------------------------
    "assignment": {
        "fi": "{previous}Soittopyyntö #{ref}: {number} ({e164}) soitti {when}. {message} "
              "Vastaa OK {ref} / VALMIS {ref} / OHITA {ref} / SOITA {ref}",
        "sv": "{previous}Återuppringning #{ref}: {number} ({e164}) ringde {when}. {message} "
              "Svara OK {ref} / KLAR {ref} / PASSA {ref} / RING {ref}",
        "en": "{previous}Callback #{ref}: {number} ({e164}) called {when}. {message} "
              "Reply OK {ref} / DONE {ref} / PASS {ref} / CALL {ref}",
    },
    "called_times": {"fi": "{count} kertaa, viimeksi {when}", "sv": "{count} gånger, senast {when}",
                     "en": "{count} times, last {when}"},
    "message_link": {"fi": "Viesti: {url}", "sv": "Meddelande: {url}", "en": "Message: {url}"},
    "message_no_link": {"fi": "Jätti viestin.", "sv": "Lämnade ett meddelande.", "en": "Left a message."},
    "no_message": {"fi": "Ei viestiä.", "sv": "Inget meddelande.", "en": "No message."},
    "previous": {"fi": "Siirretty sinulle, ed. {name}. ", "sv": "Överlämnad till dig från {name}. ",
                 "en": "Handed over to you from {name}. "},
    "reminder_one": {
        "fi": "Muistutus: soittopyyntö #{ref} ({number}) on yhä auki. Vastaa VALMIS {ref} kun hoidettu, "
              "OHITA {ref} jos et ehdi.",
        "sv": "Påminnelse: återuppringning #{ref} ({number}) är fortfarande öppen. Svara KLAR {ref} när "
              "den är klar, PASSA {ref} om du inte hinner.",
        "en": "Reminder: callback #{ref} ({number}) is still open. Reply DONE {ref} when handled, "
              "PASS {ref} if you cannot.",
    },
    "reminder_many": {
        "fi": "Muistutus: soittopyynnöt {items} ovat yhä auki. Vastaa esim. VALMIS {ref}.",
        "sv": "Påminnelse: återuppringningarna {items} är fortfarande öppna. Svara t.ex. KLAR {ref}.",
        "en": "Reminder: callbacks {items} are still open. Reply e.g. DONE {ref}.",
    },
    "handed_over": {
        "fi": "Soittopyyntö #{ref} ({number}) siirtyi: {name} hoitaa sen, koska vuorosi päättyi.",
        "sv": "Återuppringning #{ref} ({number}) har gått vidare till {name} eftersom ditt pass tog slut.",
        "en": "Callback #{ref} ({number}) has passed to {name} as your shift ended.",
    },
    # --- to the supervisors ----------------------------------------------------------------------
    "escalation": {
        "fi": "Valvojalle: soittopyyntö #{ref} ({number}, soitti {when}) on yhä auki {count} muistutuksen "
              "jälkeen. Vastuussa: {name}, {ack}.",
        "sv": "Till arbetsledaren: återuppringning #{ref} ({number}, ringde {when}) är öppen efter {count} "
              "påminnelser. Ansvarig: {name}, {ack}.",
        "en": "Supervisor: callback #{ref} ({number}, called {when}) is still open after {count} reminders. "
              "Assigned to {name}, {ack}.",
    },
    "acknowledged_state": {"fi": "kuitattu", "sv": "kvitterad", "en": "acknowledged"},
    "unacknowledged_state": {"fi": "ei kuitattu", "sv": "inte kvitterad", "en": "not acknowledged"},
    "nobody": {"fi": "ei kukaan", "sv": "ingen", "en": "nobody"},
    "opt_out_alert": {
        "fi": "Huom: {name} ({number}) esti linjan tekstiviestit (STOP). Viestit eivät mene perille ennen "
              "kuin hän lähettää START.",
        "sv": "Obs: {name} ({number}) har stoppat SMS från linjen (STOP). Inga SMS når hen förrän hen "
              "skickar START.",
        "en": "Note: {name} ({number}) has opted out of SMS from the line (STOP). No SMS reaches them until "
              "they send START.",
    },
    # --- replies to staff commands -----------------------------------------------------------------
    "acknowledged": {"fi": "Kuitattu #{ref}. Kun asia on hoidettu, vastaa VALMIS {ref}.",
                     "sv": "Kvitterad #{ref}. När den är klar, svara KLAR {ref}.",
                     "en": "Acknowledged #{ref}. When it is handled, reply DONE {ref}."},
    "closed": {"fi": "Soittopyyntö #{ref} suljettu. Kiitos!", "sv": "Återuppringning #{ref} stängd. Tack!",
               "en": "Callback #{ref} closed. Thank you!"},
    "passed": {"fi": "Soittopyyntö #{ref} palautettu, se annetaan toiselle päivystäjälle.",
               "sv": "Återuppringning #{ref} lämnad tillbaka, den går till någon annan i tjänst.",
               "en": "Callback #{ref} given back; it goes to someone else on duty."},
    "calling": {"fi": "Linja soittaa sinulle nyt ja yhdistää soittajaan #{ref}. Hän näkee linjan numeron.",
                "sv": "Linjen ringer dig nu och kopplar dig till #{ref}. Hen ser linjens nummer.",
                "en": "The line is calling you now to connect you to #{ref}. They see the line's number."},
    "help": {
        "fi": "Komennot: OK 12 kuittaa, VALMIS 12 [viesti] sulkee, OHITA 12 antaa toiselle, SOITA 12 yhdistää "
              "sinut soittajaan. Numeron voi jättää pois, jos avoimia on yksi.",
        "sv": "Kommandon: OK 12 kvitterar, KLAR 12 [anteckning] stänger, PASSA 12 ger bort, RING 12 kopplar "
              "dig till den som ringde. Numret behövs inte om du har en öppen.",
        "en": "Commands: OK 12 acknowledges, DONE 12 [note] closes, PASS 12 gives it away, CALL 12 connects "
              "you to the caller. No number needed if you have only one open.",
    },
    "usage": {"fi": "Kirjoita esim. OK 12, VALMIS 12, OHITA 12 tai APUA.",
              "sv": "Skriv t.ex. OK 12, KLAR 12, PASSA 12 eller HJÄLP.",
              "en": "Write e.g. OK 12, DONE 12, PASS 12 or HELP."},
    "error_empty": {"fi": "Viestissä ei ollut komentoa.", "sv": "Meddelandet hade inget kommando.",
                    "en": "The message had no command."},
    "error_unknown_command": {"fi": 'En tunne komentoa "{word}".', "sv": 'Okänt kommando "{word}".',
                              "en": 'Unknown command "{word}".'},
    "error_missing_command": {"fi": "Kirjoita komento ennen numeroa, esim. OK {ref} tai VALMIS {ref}.",
                              "sv": "Skriv kommandot före numret, t.ex. OK {ref} eller KLAR {ref}.",
                              "en": "Put the command before the number, e.g. OK {ref} or DONE {ref}."},
    "error_bad_reference": {"fi": '"{word}" ei ole soittopyynnön numero. Kirjoita esim. OK 12 tai OK #12.',
                            "sv": '"{word}" är inget nummer på en återuppringning. Skriv t.ex. OK 12 eller OK #12.',
                            "en": '"{word}" is not a callback number. Write e.g. OK 12 or OK #12.'},
    "error_several_references": {"fi": "Yksi numero viestiä kohden, esim. VALMIS {ref}. Lähetä muille omat viestit.",
                                 "sv": "Ett nummer per meddelande, t.ex. KLAR {ref}. Skicka ett eget för de andra.",
                                 "en": "One number per message, e.g. DONE {ref}. Send the others separately."},
    "error_none_open": {"fi": "Sinulla ei ole avoimia soittopyyntöjä.", "sv": "Du har inga öppna återuppringningar.",
                        "en": "You have no open callbacks."},
    "error_ambiguous": {"fi": "Sinulla on useita avoimia: {refs}. Lisää numero, esim. OK {ref}.",
                        "sv": "Du har flera öppna: {refs}. Lägg till numret, t.ex. OK {ref}.",
                        "en": "You have several open: {refs}. Add the number, e.g. OK {ref}."},
    "error_not_found": {"fi": "Soittopyyntöä #{ref} ei löydy.", "sv": "Återuppringning #{ref} finns inte.",
                        "en": "There is no callback #{ref}."},
    "error_already_closed": {"fi": "Soittopyyntö #{ref} on jo suljettu.",
                             "sv": "Återuppringning #{ref} är redan stängd.",
                             "en": "Callback #{ref} is already closed."},
    "error_not_yours": {"fi": "Soittopyyntö #{ref} on toisen päivystäjän.",
                        "sv": "Återuppringning #{ref} är någon annans.",
                        "en": "Callback #{ref} is assigned to someone else."},
    # --- a STOP taken back, and the line's call-backs (CALL <ref>) --------------------------------------
    "opted_in": {"fi": "Linjan tekstiviestit tulevat taas perille. Lopetus: STOP.",
                 "sv": "SMS från linjen kommer fram igen. Stoppa: STOP.",
                 "en": "SMS from the line are back on. To stop them: STOP."},
    "call_in_progress": {"fi": "Soitto soittopyyntöön #{ref} on jo käynnissä.",
                         "sv": "Samtalet till #{ref} pågår redan.",
                         "en": "A call for #{ref} is already under way."},
    "call_not_placed": {"fi": "Linja ei saanut soitettua sinulle (#{ref}). Yritä hetken päästä uudelleen: SOITA {ref}.",
                        "sv": "Linjen kunde inte ringa dig (#{ref}). Försök igen om en stund: RING {ref}.",
                        "en": "The line could not call you (#{ref}). Try again shortly: CALL {ref}."},
    "unreachable_closed": {
        "fi": "Soittopyyntö #{ref} suljettu: soittaja ei vastannut {count} kertaan. {sms}",
        "sv": "Återuppringning #{ref} stängd: den som ringde svarade inte {count} gånger. {sms}",
        "en": "Callback #{ref} closed: the caller did not answer {count} times. {sms}",
    },
    "caller_texted": {"fi": "Hänelle lähti tekstiviesti aukioloajoista.",
                      "sv": "Hen fick ett SMS om öppettiderna.",
                      "en": "They were sent an SMS with our opening hours."},
    "caller_not_texted": {"fi": "Numeroon ei voi lähettää tekstiviestiä.",
                          "sv": "Numret kan inte ta emot SMS.",
                          "en": "Their number cannot get an SMS."},
    # --- to the caller -------------------------------------------------------------------------------
    "confirmation": {
        "fi": "Kiitos soitostasi. Saimme soittopyyntösi ja soitamme sinulle {promise}{from_line}.",
        "sv": "Tack för ditt samtal. Vi har fått din begäran och ringer upp dig {promise}{from_line}.",
        "en": "Thank you for calling. We got your request and will call you back {promise}{from_line}.",
    },
    "from_line": {"fi": " numerosta {line}", "sv": " från nummer {line}", "en": " from {line}"},
    "unreachable": {
        "fi": "Yritimme soittaa sinulle takaisin, mutta emme tavoittaneet sinua. Voit soittaa meille uudelleen"
              "{to_line}{hours}.",
        "sv": "Vi försökte ringa upp dig men nådde dig inte. Ring oss gärna igen{to_line}{hours}.",
        "en": "We tried to call you back but could not reach you. You are welcome to call us again{to_line}{hours}.",
    },
    "to_line": {"fi": " numeroon {line}", "sv": " på {line}", "en": " on {line}"},
    "hours": {"fi": ", päivystämme {hours}", "sv": ", vi har öppet {hours}", "en": ", we are open {hours}"},
    # --- feedback: the caller's question and the staff's monthly wellbeing pulse ---------------------
    "caller_question": {
        "fi": "Kiitos, kun otit yhteyttä. Kuinka hyvin sait apua? Vastaa halutessasi numerolla 1-5 "
              "(5 = erittäin hyvin), voit lisätä sanan.",
        "sv": "Tack för att du hörde av dig. Hur väl fick du hjälp? Svara gärna med en siffra 1-5 "
              "(5 = mycket väl), du kan lägga till ett ord.",
        "en": "Thank you for getting in touch. How well were you helped? If you like, reply with "
              "a number 1-5 (5 = very well), and a word if you wish.",
    },
    "pulse_question": {
        "fi": "Kuukauden kysymys: miten jaksat päivystyksessä? Vastaa numerolla 1-5 (1 = raskasta, "
              "5 = hyvin). Vastaukset näytetään vain tiimin keskiarvona.",
        "sv": "Månadens fråga: hur orkar du med jouren? Svara med en siffra 1-5 (1 = tungt, "
              "5 = bra). Svaren visas bara som teamets medelvärde.",
        "en": "This month's question: how are you coping on duty? Reply with a number 1-5 "
              "(1 = it is hard, 5 = well). Answers are only shown as a team average.",
    },
    "pulse_thanks": {
        "fi": "Kiitos vastauksesta. Se lasketaan vain tiimin keskiarvoon.",
        "sv": "Tack för svaret. Det räknas bara in i teamets medelvärde.",
        "en": "Thank you. Your answer only counts towards the team average.",
    },
    "pulse_already": {
        "fi": "Tämän kuun vastauksesi on jo kirjattu. Kiitos!",
        "sv": "Ditt svar för den här månaden är redan registrerat. Tack!",
        "en": "Your answer for this month is already counted. Thank you!",
    },
    # --- when ------------------------------------------------------------------------------------------
    "promise_today": {"fi": "tänään ennen klo {closes}", "sv": "i dag före kl. {closes}",
                      "en": "today before {closes}"},
    "promise_tomorrow": {"fi": "huomenna klo {opens} jälkeen", "sv": "i morgon efter kl. {opens}",
                         "en": "tomorrow after {opens}"},
    "promise_weekday": {"fi": "{weekday} klo {opens} jälkeen", "sv": "på {weekday} efter kl. {opens}",
                        "en": "on {weekday} after {opens}"},
    "promise_date": {"fi": "{date} klo {opens} jälkeen", "sv": "{date} efter kl. {opens}",
                     "en": "on {date} after {opens}"},
    "promise_asap": {"fi": "mahdollisimman pian", "sv": "så snart vi kan", "en": "as soon as we can"},
    "call_time": {"fi": "{day} {date} klo {clock}", "sv": "{day} {date} kl. {clock}", "en": "{day} {date} {clock}"},
    "and": {"fi": " ja ", "sv": " och ", "en": " and "},
}
