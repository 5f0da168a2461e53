"""Scheduling engine: availability, holds, booking, rescheduling, cancelling, waitlist.

The domain core: no web, telephony or dialogue imports. Callers own the transaction (a
`UnitOfWork`) and pass `now` where time matters (tests, jobs).

* `clock`: UTC storage, local reasoning; spring-forward gap and fall-back hour handled;
* `preferences.TimePreference`: "Tuesday afternoon", "after 3 pm", "as soon as possible";
* `availability.search(session, SearchRequest)` -> ranked `SlotOption`s;
* `operations`: hold, book, book_hold, confirm, reschedule, cancel, mark_arrived,
  note_running_late;
* `jobs`: release_expired_holds, mark_no_shows (periodic);
* `waitlist`: join, leave, offer_slot, accept_offer, decline_offer, expire_offers,
  offers_to_notify (the outbox for the SMS sender), mark_notified;
* `guard` + `booking`: why nobody is ever double-booked;
* `policy.SchedulingPolicy`: the knobs read from `Practice.settings`;
* `errors`: what an operation can answer (`SlotTaken` carries alternatives).
"""
