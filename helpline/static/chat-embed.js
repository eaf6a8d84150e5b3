/* "Chat with us": paste <script src="https://YOUR-LINE/chat/embed.js" defer></script> into any page.
   Adds one button in the corner that opens the help line's chat in its own small window (a new
   tab on a phone). No dependencies, no cookies of its own, nothing sent anywhere until clicked.
   data-lang="fi|sv|en" on the script tag picks the chat's language; else the browser's. */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || document.getElementById('helpline-chat-button')) return;
  var base = script.src.replace(/\/chat\/embed\.js(\?.*)?$/, '');
  var lang = script.getAttribute('data-lang') || (navigator.language || 'fi').slice(0, 2);
  if (['fi', 'sv', 'en'].indexOf(lang) < 0) lang = 'fi';
  var label = {fi: 'Keskustele kanssamme', sv: 'Chatta med oss', en: 'Chat with us'}[lang];
  var url = base + '/chat?lang=' + lang;
  function add() {
    var button = document.createElement('button');
    button.type = 'button';
    button.id = 'helpline-chat-button';
    button.textContent = label;
    var style = button.style;
    style.position = 'fixed'; style.right = '1rem'; style.bottom = '1rem'; style.zIndex = '2147483000';
    style.padding = '0.75rem 1.1rem'; style.border = '2px solid #fff'; style.borderRadius = '2rem';
    style.background = '#0b4f8a'; style.color = '#fff'; style.font = '600 1rem system-ui, sans-serif';
    style.cursor = 'pointer'; style.boxShadow = '0 2px 8px rgba(0,0,0,.3)';
    button.addEventListener('click', function () {
      var opened = window.open(url, 'helpline-chat', 'width=420,height=680');
      if (!opened) window.location.href = url;
    });
    document.body.appendChild(button);
  }
  if (document.body) add(); else document.addEventListener('DOMContentLoaded', add);
}());
