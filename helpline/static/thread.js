/* A callback's page (templates/callbacks/detail.html): its conversation refreshes itself every few
   seconds from /callbacks/<id>/conversation.json, so a chat visitor's or a caller's new words
   appear without a reload. Words are put in with textContent, never as markup. */
(function () {
  'use strict';
  var list = document.getElementById('conversation-thread');
  if (!list || !list.dataset.url) return;
  var seen = {};
  Array.prototype.forEach.call(list.querySelectorAll('li[data-id]'), function (item) { seen[item.dataset.id] = true; });
  var seconds = 4000;

  function add(message) {
    var item = document.createElement('li');
    item.className = 'from-' + (message.sender === 'caller' ? 'caller' : 'line');
    item.dataset.id = String(message.id);
    var who = document.createElement('p');
    who.className = 'who';
    who.textContent = message.who + ' · ' + message.at;
    var words = document.createElement('p');
    words.className = 'words';
    words.textContent = message.text;
    item.appendChild(who);
    item.appendChild(words);
    var empty = list.querySelector('li.empty');
    if (empty) empty.remove();
    list.appendChild(item);
  }

  function refresh() {
    fetch(list.dataset.url, {credentials: 'same-origin', headers: {'Accept': 'application/json'}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (!answer) return;
        answer.messages.forEach(function (message) {
          if (seen[message.id] || message.scrubbed) return;
          seen[message.id] = true;
          add(message);
        });
        if (!answer.open) return;  // closed: nothing more will come
        setTimeout(refresh, seconds);
      })
      .catch(function () { setTimeout(refresh, seconds * 3); });
  }
  setTimeout(refresh, seconds);
}());
