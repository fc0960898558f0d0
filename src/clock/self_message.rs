use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// A message to ourselves: a macrotask that runs once the page has had a
/// turn, without the 4 ms a nested zero-delay timeout waits (HTML's clamp).
/// At most one is in flight; dropping it stops delivery.
pub(crate) struct SelfMessage {
    sender: web_sys::MessagePort,
    receiver: web_sys::MessagePort,
    _on_message: Closure<dyn FnMut()>,
    in_flight: Rc<Cell<bool>>,
}

impl SelfMessage {
    /// Calls `on_arrival` each time a message arrives; `None` where no
    /// `MessageChannel` can be made.
    pub(crate) fn new(mut on_arrival: impl FnMut() + 'static) -> Option<SelfMessage> {
        let channel = web_sys::MessageChannel::new().ok()?;
        let in_flight = Rc::new(Cell::new(false));
        let on_message = {
            let in_flight = in_flight.clone();
            Closure::<dyn FnMut()>::new(move || {
                in_flight.set(false);
                on_arrival();
            })
        };
        let receiver = channel.port1();
        receiver.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Some(SelfMessage {
            sender: channel.port2(),
            receiver,
            _on_message: on_message,
            in_flight,
        })
    }

    /// Sends a message unless one is on its way; `false` if it can't.
    pub(crate) fn send(&self) -> bool {
        if self.in_flight.get() {
            return true;
        }
        let sent = self.sender.post_message(&JsValue::UNDEFINED).is_ok();
        self.in_flight.set(sent);
        sent
    }
}

impl Drop for SelfMessage {
    fn drop(&mut self) {
        self.receiver.set_onmessage(None);
        self.receiver.close();
        self.sender.close();
    }
}
