/* The web chat's page (templates/chat/page.html): polls for new messages, sends the visitor's,
   ends the chat, and leaves at once. Words are always put in with textContent, never as markup.
   Every request carries X-Helpline-Chat: 1, the chat's CSRF check (helpline/web/chat.py). */
(function () {
  'use strict';
  var main = document.getElementById('chat');
  if (!main) return;
  var data = main.dataset;
  var thread = document.getElementById('chat-thread');
  var form = document.getElementById('chat-form');
  var text = document.getElementById('chat-text');
  var phone = document.getElementById('chat-phone');
  var error = document.getElementById('chat-error');
  var notice = document.getElementById('chat-notice');
  var endButton = document.getElementById('chat-end');
  var version = '';
  var shown = {};
  var timer = null;
  var pollMs = (parseInt(data.pollSeconds, 10) || 3) * 1000;

  document.getElementById('quick-exit').addEventListener('click', function () {
    window.location.replace(this.dataset.href);
  });

  function say(element, words) {
    element.textContent = words || '';
    element.hidden = !words;
  }

  function forget(words) {
    version = '';
    shown = {};
    thread.textContent = '';
    endButton.hidden = true;
    if (phone) phone.value = '';
    say(notice, words);
  }

  function show(messages) {
    messages.forEach(function (message) {
      if (shown[message.id]) return;
      shown[message.id] = true;
      var item = document.createElement('li');
      item.className = 'from-' + (message.from === 'visitor' ? 'visitor' : 'line');
      var who = document.createElement('span');
      who.className = 'who';
      // The time in the line's zone, as the server wrote it (the browser's zone may be another).
      who.textContent = (message.from === 'visitor' ? data.you : data.line) + ' · ' + message.clock;
      item.appendChild(who);
      item.appendChild(document.createTextNode(message.text));
      thread.appendChild(item);
    });
    endButton.hidden = messages.length === 0;
  }

  function request(url, options) {
    options = options || {};
    options.credentials = 'same-origin';
    options.headers = Object.assign({'X-Helpline-Chat': '1'}, options.headers || {});
    return fetch(url, options);
  }

  function poll() {
    clearTimeout(timer);
    request(data.messagesUrl + '?v=' + encodeURIComponent(version))
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (!answer) return;
        if (answer.state === 'gone') forget(data.ended);
        else if (answer.state === 'none') endButton.hidden = true;
        else if (answer.changed) {
          version = answer.v;
          say(notice, '');
          show(answer.messages || []);
        }
      })
      .catch(function () { /* offline for a moment: the next poll tries again */ })
      .then(function () { timer = setTimeout(poll, document.hidden ? pollMs * 4 : pollMs); });
  }

  var errors = {slow_down: data.errorSlow, too_long: data.errorLong, empty: data.errorEmpty, phone: data.errorPhone};

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var body = {text: text.value};
    if (phone && phone.value.trim()) body.phone = phone.value;
    if (!text.value.trim()) { say(error, data.errorEmpty); text.focus(); return; }
    request(data.sendUrl, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)})
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (answer) {
          if (response.status === 201) {
            say(error, '');
            text.value = '';
            text.focus();
            if (answer.state === 'left') forget(data.left); else poll();
          } else {
            say(error, errors[answer.error] || data.errorOther);
          }
        });
      })
      .catch(function () { say(error, data.errorOther); });
  });

  endButton.addEventListener('click', function () {
    request(data.endUrl, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: '{}'})
      .then(function () { forget(data.ended); text.focus(); })
      .catch(function () { say(error, data.errorOther); });
  });

  document.addEventListener('visibilitychange', function () { if (!document.hidden) poll(); });
  poll();
}());
