/*
 * The payment page: Stripe Elements collects the card, the server charges it.
 *
 * 1. Stripe.js turns the card into a PaymentMethod (the card number never reaches us).
 * 2. POST its id to our server, which creates and confirms the PaymentIntent.
 * 3. If the bank asks for 3-D Secure, Stripe.js runs it, then our server checks the result.
 *
 * Works with Stripe.js and with localstripe's stand-in (demo and tests), whose
 * createPaymentMethod does nothing: there the card is tokenised and the token's card id is
 * used as the payment method, which the PaymentIntents API accepts as well.
 */
(function () {
  'use strict';

  var root = document.getElementById('hn-pay');
  if (!root) {
    return;
  }
  var form = document.getElementById('hn-pay-form');
  var button = document.getElementById('hn-pay-submit');
  var errorBox = document.getElementById('hn-pay-error');
  if (typeof Stripe === 'undefined') {
    // Stripe.js did not load (Stripe or localstripe unreachable): say so, take no card.
    errorBox.textContent = root.dataset.errorUnavailable;
    errorBox.classList.remove('d-none');
    button.disabled = true;
    form.addEventListener('submit', function (event) { event.preventDefault(); });
    return;
  }
  var buttonLabel = button.innerHTML;
  var csrfToken = form.querySelector('input[name=csrfmiddlewaretoken]').value;

  var stripe = Stripe(root.dataset.publishableKey);
  var card = stripe.elements({locale: 'zh'}).create('card', {hidePostalCode: true});
  card.mount('#hn-card-element');

  function showError(message) {
    errorBox.textContent = message || '';
    errorBox.classList.toggle('d-none', !message);
  }

  function setBusy(busy) {
    button.disabled = busy;
    button.textContent = busy ? root.dataset.busyLabel : '';
    if (!busy) {
      button.innerHTML = buttonLabel;
    }
  }

  function CardInputError(message) {
    this.message = message;
  }

  async function createPaymentMethod() {
    var result = await stripe.createPaymentMethod({type: 'card', card: card});
    if (result) {
      if (result.error) {
        throw new CardInputError(result.error.message);
      }
      return result.paymentMethod.id;
    }
    var tokenResult = await stripe.createToken(card);
    if (!tokenResult || tokenResult.error || !tokenResult.token) {
      throw new CardInputError(root.dataset.errorCard);
    }
    return tokenResult.token.card.id;
  }

  async function handleCardAction(clientSecret) {
    if (typeof stripe.handleNextAction === 'function') {
      return stripe.handleNextAction({clientSecret: clientSecret});
    }
    return stripe.confirmCardPayment(clientSecret);
  }

  async function post(url, fields) {
    var body = new URLSearchParams(fields);
    var response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {'X-CSRFToken': csrfToken, 'X-Requested-With': 'XMLHttpRequest'},
      body: body,
    });
    try {
      return await response.json();
    } catch (err) {
      return {status: 'failed', message: root.dataset.errorGeneric};
    }
  }

  form.addEventListener('submit', async function (event) {
    event.preventDefault();
    showError('');
    setBusy(true);
    try {
      var paymentMethod = await createPaymentMethod();
      var result = await post(root.dataset.cardUrl, {payment_method: paymentMethod});
      if (result.status === 'requires_action') {
        await handleCardAction(result.client_secret);
        result = await post(root.dataset.confirmUrl, {payment: result.payment});
      }
      // Paid, processing, or withdrawn (Stripe unreachable: back to the basket, which says why).
      if (result.redirect) {
        window.location.assign(result.redirect);
        return;
      }
      showError(result.message || root.dataset.errorGeneric);
    } catch (err) {
      showError(err instanceof CardInputError ? err.message : root.dataset.errorGeneric);
    }
    setBusy(false);
  });
})();
