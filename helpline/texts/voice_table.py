"""The voice table of the catalogue: every sentence the line says on a call, in fi, sv and en.

Which of them a call plays is decided in helpline.inbound and helpline.callbacks, and composed
into TwiML in helpline.telephony (twiml.py for callers and screened staff, bridge.py for the
line's call-back calls to staff). Sentences are said by a text-to-speech voice: write numbers as
they should be read, and keep each short.
"""
from __future__ import annotations

VOICE: dict[str, dict[str, str]] = {
    # --- a caller: the greeting and the language menu ----------------------------------------------
    "greeting": {"fi": "Tervetuloa kirkon auttavaan puhelimeen.", "sv": "Välkommen till kyrkans hjälptelefon.",
                 "en": "Welcome to the church help line."},
    "emergency": {"fi": "Jos olet välittömässä vaarassa, soita hätänumeroon 112.",
                  "sv": "Om du är i akut fara, ring nödnumret 112.",
                  "en": "If you are in immediate danger, call the emergency number 112."},
    # Said in its own language, so a caller hears their language's name in it.
    "menu": {"fi": "Suomeksi, paina {digit}.", "sv": "För svenska, tryck {digit}.",
             "en": "For English, press {digit}."},
    "connecting": {"fi": "Yhdistämme sinut päivystäjälle. Hetkinen, ole hyvä.",
                   "sv": "Vi kopplar dig till jouren. Ett ögonblick.",
                   "en": "We are connecting you to the person on duty. One moment, please."},
    # --- a caller: nobody answers, or the line is closed --------------------------------------------
    "nobody_answered": {"fi": "Valitettavasti kukaan ei juuri nyt ehtinyt vastata.",
                        "sv": "Tyvärr kunde ingen svara just nu.",
                        "en": "Unfortunately nobody could answer right now."},
    "closed": {"fi": "Auttava puhelin on nyt suljettu.", "sv": "Hjälptelefonen är stängd just nu.",
               "en": "The help line is closed right now."},
    "closed_holiday": {"fi": "Tänään on pyhäpäivä, ja auttava puhelin on suljettu.",
                       "sv": "I dag är det helgdag och hjälptelefonen är stängd.",
                       "en": "Today is a public holiday and the help line is closed."},
    "closed_closure": {"fi": "Auttava puhelin on tänään poikkeuksellisesti suljettu.",
                       "sv": "Hjälptelefonen är undantagsvis stängd i dag.",
                       "en": "The help line is closed today by exception."},
    "next_open": {"fi": "Olemme taas avoinna {when}.", "sv": "Vi har öppet igen {when}.",
                  "en": "We are open again {when}."},
    "leave_message": {
        "fi": "Jätä äänimerkin jälkeen nimesi ja lyhyesti asiasi, niin soitamme sinulle takaisin. "
              "Lopuksi paina risuaitaa tai sulje puhelin.",
        "sv": "Lämna ditt namn och kort vad det gäller efter tonen, så ringer vi upp dig. "
              "Tryck sedan på fyrkant eller lägg på.",
        "en": "After the tone, please leave your name and a few words about your matter, and we "
              "will call you back. Then press the pound key or hang up.",
    },
    "callback_soon": {"fi": "Soitamme sinulle takaisin niin pian kuin mahdollista.",
                      "sv": "Vi ringer upp dig så snart vi kan.", "en": "We will call you back as soon as we can."},
    "thanks_message": {"fi": "Kiitos viestistäsi. Soitamme sinulle takaisin. Näkemiin.",
                       "sv": "Tack för ditt meddelande. Vi ringer upp dig. Hej då.",
                       "en": "Thank you for your message. We will call you back. Goodbye."},
    "thanks_call": {"fi": "Kiitos soitostasi. Näkemiin.", "sv": "Tack för att du ringde. Hej då.",
                    "en": "Thank you for calling. Goodbye."},
    "withheld": {"fi": "Numerosi ei näy meille, joten emme voi soittaa sinulle takaisin.",
                 "sv": "Ditt nummer är dolt, så vi kan inte ringa upp dig.",
                 "en": "Your number is hidden, so we cannot call you back."},
    "withheld_try_again": {"fi": "Soita meille uudelleen myöhemmin.", "sv": "Ring oss gärna igen senare.",
                           "en": "Please call us again later."},
    # --- a blocked caller (helpline.blocks): one sentence, said before any greeting, then the line hangs up.
    "blocked": {"fi": "Tästä numerosta ei voi nyt soittaa auttavaan puhelimeen; hätätilanteessa soita 112.",
                "sv": "Från det här numret kan man inte ringa hjälptelefonen nu; i en nödsituation, ring 112.",
                "en": "This number cannot call the help line now; in an emergency, call 112."},
    # --- a caller: something failed inside -----------------------------------------------------------
    "apology": {"fi": "Pahoittelemme, järjestelmässämme on häiriö.",
                "sv": "Vi ber om ursäkt, det är ett fel i vårt system.",
                "en": "We are sorry, something is wrong in our system."},
    # After the apology in the static last resort, when even building TwiML failed.
    "last_resort": {"fi": "Soita meille uudelleen hetken kuluttua. Jos olet välittömässä vaarassa, soita 112.",
                    "sv": "Ring oss igen om en stund. Om du är i akut fara, ring 112.",
                    "en": "Please call us again shortly. If you are in immediate danger, call 112."},
    # --- when the line opens again: "maanantaina kello 9" (helpline.texts.times.spoken_time) -----------
    "clock": {"fi": "kello {time}", "sv": "klockan {time}", "en": "at {time}"},
    "when_today": {"fi": "tänään {clock}", "sv": "i dag {clock}", "en": "today {clock}"},
    "when_tomorrow": {"fi": "huomenna {clock}", "sv": "i morgon {clock}", "en": "tomorrow {clock}"},
    "when_this_week": {"fi": "{weekday} {clock}", "sv": "på {weekday} {clock}", "en": "on {weekday} {clock}"},
    "when_later": {"fi": "{weekday} {day}. {month} {clock}", "sv": "{weekday} den {day} {month} {clock}",
                   "en": "on {weekday} {day} {month} {clock}"},
    # --- a staff member screening a caller's call ----------------------------------------------------
    "screen": {"fi": "Auttavan puhelimen puhelu. Paina 1 ottaaksesi puhelun vastaan.",
               "sv": "Samtal till hjälptelefonen. Tryck 1 för att ta emot samtalet.",
               "en": "A help line call. Press 1 to take the call."},
    "screen_language": {"fi": "Soittaja valitsi kieleksi {language}.", "sv": "Den som ringer valde {language}.",
                        "en": "The caller chose {language}."},
    # The caller's language named in the staff member's ("language_sv" in Finnish: "ruotsin").
    "language_fi": {"fi": "suomen", "sv": "finska", "en": "Finnish"},
    "language_sv": {"fi": "ruotsin", "sv": "svenska", "en": "Swedish"},
    "language_en": {"fi": "englannin", "sv": "engelska", "en": "English"},
    # --- a caller waiting in the queue while everyone on duty is busy ---------------------------------
    "queue_all_busy": {
        "fi": "Kaikki päivystäjät puhuvat juuri nyt. Odota hetki, yhdistämme sinut ensimmäiselle vapautuvalle.",
        "sv": "Alla jourhavande talar just nu. Vänta en stund, du kopplas till den första som blir ledig.",
        "en": "Everyone on duty is talking right now. Please hold: you will be connected to the first person "
              "who is free.",
    },
    "queue_place": {"fi": "Olet jonossa {place}.", "sv": "Du är {place} i kön.", "en": "You are {place} in line."},
    "queue_place_1": {"fi": "ensimmäisenä", "sv": "nummer ett", "en": "number one"},
    "queue_place_2": {"fi": "toisena", "sv": "nummer två", "en": "number two"},
    "queue_place_3": {"fi": "kolmantena", "sv": "nummer tre", "en": "number three"},
    "queue_place_4": {"fi": "neljäntenä", "sv": "nummer fyra", "en": "number four"},
    "queue_place_5": {"fi": "viidentenä", "sv": "nummer fem", "en": "number five"},
    "queue_place_other": {"fi": "sijalla {number}", "sv": "nummer {number}", "en": "number {number}"},
    "queue_press_one": {"fi": "Jos haluat mieluummin jättää viestin ja saada takaisinsoiton, paina 1.",
                        "sv": "Om du hellre vill lämna ett meddelande och bli uppringd, tryck 1.",
                        "en": "To leave a message and be called back instead, press 1."},
    "queue_connecting": {"fi": "Yhdistämme sinut nyt päivystäjälle.", "sv": "Nu kopplar vi dig till jouren.",
                         "en": "We are connecting you now."},
    # --- a free staff member rung to take a caller who waits in the queue -------------------------------
    "offer_screen": {"fi": "Auttavan puhelimen jonossa odottaa soittaja. Paina 1 ottaaksesi puhelun vastaan.",
                     "sv": "En person väntar i hjälptelefonens kö. Tryck 1 för att ta emot samtalet.",
                     "en": "A caller is waiting in the help line queue. Press 1 to take the call."},
    "offer_gone": {"fi": "Jonossa ei ole enää ketään. Kiitos, näkemiin.",
                   "sv": "Ingen väntar längre i kön. Tack, hej då.",
                   "en": "Nobody is waiting any more. Thank you, goodbye."},
    # --- a staff member the line calls to call a caller back (CALL <ref>) ------------------------------
    "bridge_screen": {
        "fi": "Auttavan puhelimen takaisinsoitto, soittopyyntö numero {ref}. "
              "Paina 1, niin yhdistämme sinut soittajaan.",
        "sv": "Hjälplinjens återuppringning, nummer {ref}. Tryck 1 så kopplar vi dig till den som ringde.",
        "en": "Helpline call-back for callback number {ref}. Press 1 to be connected to the caller.",
    },
    "bridge_no_key": {"fi": "Et painanut 1. Näkemiin.", "sv": "Du tryckte inte 1. Hej då.",
                      "en": "You did not press 1. Goodbye."},
    "bridge_dialling": {
        "fi": "Soitetaan soittajalle, soittopyyntö numero {ref}. Hän näkee linjan numeron.",
        "sv": "Vi ringer upp den som ringde, återuppringning nummer {ref}. Hen ser linjens nummer.",
        "en": "Calling back the caller of callback number {ref}. They will see the line's number.",
    },
    "bridge_closed": {"fi": "Soittopyyntö numero {ref} on jo suljettu. Näkemiin.",
                      "sv": "Återuppringning nummer {ref} är redan stängd. Hej då.",
                      "en": "Callback number {ref} is already closed. Goodbye."},
    "bridge_ended": {"fi": "Tämä takaisinsoitto on jo päättynyt. Näkemiin.",
                     "sv": "Den här återuppringningen är redan avslutad. Hej då.",
                     "en": "This call-back has already ended. Goodbye."},
    "bridge_reached": {"fi": "Puhelu päättyi. Kun asia on hoidettu, lähetä tekstiviesti VALMIS {ref}.",
                       "sv": "Samtalet är slut. När ärendet är klart, skicka KLAR {ref} som SMS.",
                       "en": "The call has ended. When it is handled, text DONE {ref}."},
    "bridge_not_reached": {
        "fi": "Soittaja ei vastannut. Yrityksiä nyt {count}, enintään {max}. Soittopyyntö pysyy auki.",
        "sv": "Den som ringde svarade inte. Det var försök {count} av {max}. Återuppringningen förblir öppen.",
        "en": "The caller did not answer. That was attempt {count} of {max}. The callback stays open.",
    },
    "bridge_not_counted": {"fi": "Soittoa ei saatu perille. Soittopyyntö pysyy auki.",
                           "sv": "Samtalet gick inte fram. Återuppringningen förblir öppen.",
                           "en": "The call did not go through. The callback stays open."},
    "bridge_unreachable": {
        "fi": "Soittaja ei vastannut {max}. kerrallakaan. Soittopyyntö suljettiin tavoittamattomana.{sms}",
        "sv": "Den som ringde svarade inte på {max} försök. Återuppringningen stängdes som onåbar.{sms}",
        "en": "The caller did not answer {max} times. The callback is now closed as unreachable.{sms}",
    },
    "bridge_caller_texted": {"fi": " Soittajalle lähetetään tekstiviesti aukioloajoista.",
                             "sv": " Den som ringde får ett SMS med öppettiderna.",
                             "en": " The caller gets a text message with our opening hours."},
    "bridge_error": {"fi": "Takaisinsoitossa tapahtui virhe. Yritä hetken päästä uudelleen.",
                     "sv": "Något gick fel med återuppringningen. Försök igen om en stund.",
                     "en": "Something went wrong with the call-back. Please try again shortly."},
}
