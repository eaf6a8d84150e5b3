"""The SMS of the map of help (the directory of help services), part of the one catalogue's SMS
table: the service's details to a referred caller, the wrap-up question after a live call, and the
replies to WRAP and to DONE ... REF.

Kept apart from sms_table.py only for size; catalogue.py joins the tables (an id may stand in one
of them only). The composers that fill them are in helpline.sms.directory_texts. The example
reference is 12, the example code KRIISI.
"""
from __future__ import annotations

DIRECTORY_SMS: dict[str, dict[str, str]] = {
    # --- to the caller ----------------------------------------------------------------------------
    "referral": {"fi": "Palvelu, josta puhuimme: {service}.{service_phone}{service_url}{service_hours}",
                 "sv": "Tjänsten vi talade om: {service}.{service_phone}{service_url}{service_hours}",
                 "en": "The service we talked about: {service}.{service_phone}{service_url}{service_hours}"},
    "referral_phone": {"fi": " Puh. {number}.", "sv": " Tfn {number}.", "en": " Phone {number}."},
    "referral_url": {"fi": " {url}", "sv": " {url}", "en": " {url}"},
    "referral_hours": {"fi": " Avoinna {week}.", "sv": " Öppet {week}.", "en": " Open {week}."},
    "always_open": {"fi": "joka päivä ympäri vuorokauden", "sv": "dygnet runt alla dagar", "en": "24 hours, every day"},
    # --- to the staff member who answered a live call -----------------------------------------------
    "wrap_up_question": {
        "fi": "Puhelu {when}{length}: miten se päättyi? Vastaa KIRJAA HOIDETTU [aihe] tai KIRJAA OHJATTU "
              "<koodi> [aihe].",
        "sv": "Samtalet {when}{length}: hur slutade det? Svara NOTERA LÖST [ämne] eller NOTERA HÄNVISAD "
              "<kod> [ämne].",
        "en": "Your call {when}{length}: how did it end? Reply WRAP RESOLVED [topic] or WRAP REFERRED "
              "<code> [topic].",
    },
    "length": {"fi": " ({minutes} min)", "sv": " ({minutes} min)", "en": " ({minutes} min)"},
    "wrapped_up": {"fi": "Kirjattu: puhelu {when} {outcome}{to_service}{with_topic}. Kiitos!{more}",
                   "sv": "Noterat: samtalet {when} {outcome}{to_service}{with_topic}. Tack!{more}",
                   "en": "Noted: your call {when} {outcome}{to_service}{with_topic}. Thank you!{more}"},
    "wrap_resolved": {"fi": "hoidettu", "sv": "löst", "en": "resolved"},
    "wrap_referred": {"fi": "ohjattu eteenpäin", "sv": "hänvisad vidare", "en": "referred on"},
    "to_service": {"fi": " palveluun {service}", "sv": " till {service}", "en": " to {service}"},
    "with_topic": {"fi": ", aihe: {topic}", "sv": ", ämne: {topic}", "en": ", topic: {topic}"},
    "more_to_wrap": {"fi": " Kirjaamatta vielä {count}.", "sv": " {count} kvar att notera.",
                     "en": " {count} more to wrap up."},
    "nothing_to_wrap": {"fi": "Sinulla ei ole kirjaamattomia puheluita viimeisen vuorokauden ajalta.",
                        "sv": "Du har inga samtal att notera från det senaste dygnet.",
                        "en": "You have no calls to wrap up from the last 24 hours."},
    "wrap_usage": {"fi": "Kirjoita KIRJAA HOIDETTU [aihe] tai KIRJAA OHJATTU <koodi> [aihe].",
                   "sv": "Skriv NOTERA LÖST [ämne] eller NOTERA HÄNVISAD <kod> [ämne].",
                   "en": "Write WRAP RESOLVED [topic] or WRAP REFERRED <code> [topic]."},
    # --- replies to DONE 12 REF <code> ----------------------------------------------------------------
    "closed_referred": {"fi": "Soittopyyntö #{ref} suljettu: ohjattu palveluun {service}. {details}",
                        "sv": "Återuppringning #{ref} stängd: hänvisad till {service}. {details}",
                        "en": "Callback #{ref} closed: referred to {service}. {details}"},
    "caller_got_details": {"fi": "Soittajalle lähti palvelun tiedot tekstiviestinä.",
                           "sv": "Den som ringde fick tjänstens uppgifter per SMS.",
                           "en": "The caller was texted the service's details."},
    "caller_no_details": {"fi": "Soittajalle ei voi lähettää tekstiviestiä.",
                          "sv": "Den som ringde kan inte få SMS.",
                          "en": "The caller cannot be texted."},
    "unknown_service": {"fi": 'En löydä palvelua "{code}". Kirjoita sen koodi, esim. VALMIS {ref} REF KRIISI.',
                        "sv": 'Hittar ingen tjänst "{code}". Skriv dess kod, t.ex. KLAR {ref} REF KRIISI.',
                        "en": 'No service "{code}". Write its code, e.g. DONE {ref} REF KRIISI.'},
    "ambiguous_service": {"fi": '"{code}" sopii moneen: {codes}. Kirjoita koodi, esim. VALMIS {ref} REF {first}.',
                          "sv": '"{code}" passar flera: {codes}. Skriv koden, t.ex. KLAR {ref} REF {first}.',
                          "en": '"{code}" fits several: {codes}. Write the code, e.g. DONE {ref} REF {first}.'},
    "missing_service": {"fi": "Kirjoita palvelun koodi REF-sanan jälkeen, esim. VALMIS {ref} REF KRIISI.",
                        "sv": "Skriv tjänstens kod efter REF, t.ex. KLAR {ref} REF KRIISI.",
                        "en": "Write the service's code after REF, e.g. DONE {ref} REF KRIISI."},
    # --- added to HELP ----------------------------------------------------------------------------------
    "help_more": {"fi": "VALMIS 12 REF KRIISI: ohjattu palveluun. KIRJAA HOIDETTU/OHJATTU: puhelun kirjaus.",
                  "sv": "KLAR 12 REF KRIISI: hänvisad till tjänsten. NOTERA LÖST/HÄNVISAD: notera samtal.",
                  "en": "DONE 12 REF KRIISI: referred to a service. WRAP RESOLVED/REFERRED: wrap up a call."},
}
