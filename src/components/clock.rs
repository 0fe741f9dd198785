//! The wall clock that drives a simulated one: `use_clock` reports the
//! wall-clock time passed at each animation frame while its owner plays,
//! and says when the tab is hidden. The owner turns wall time into simulated
//! time at its speed (simulated milliseconds per wall millisecond) and keeps
//! the simulated clock; stepping and seeking never go through here.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_events::EventListener;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The most wall time one frame may count: a frame that comes late (a busy
/// machine, a tab shown again) moves the clock as far as the old 100 ms
/// tick did, not by the whole gap.
const MAX_FRAME_MS: f64 = 100.0;

/// What the clock tells its owner.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Tick {
    /// Whole wall-clock milliseconds since the last report, while playing
    /// and shown; the fractions are carried to the next frame so that no
    /// time is lost at slow speeds.
    Elapsed(u64),
    /// The tab was hidden while playing: the clock stands still until it is
    /// shown again, and the tab may be closed next.
    Hidden,
}

/// Whether the page is hidden (another tab, a minimised window): the clock
/// then stands still, since nobody is watching.
pub(crate) fn tab_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}

/// While `playing`, calls `on_tick` on every animation frame with the wall
/// time passed, and with `Tick::Hidden` when the tab is hidden. The frames
/// stop when `playing` turns false or the owner unmounts. `on_tick` is the
/// one given when play started, so it should only dispatch.
#[hook]
pub fn use_clock(playing: bool, on_tick: Callback<Tick>) {
    use_effect_with(playing, move |playing| {
        let frames = playing.then(|| Frames::start(on_tick));
        move || drop(frames)
    });
}

/// One animation frame's callback: the time of the frame, in ms.
type Frame = Closure<dyn FnMut(f64)>;

/// The running animation-frame loop; dropping it stops the loop.
struct Frames {
    /// The frame callback, kept alive here; it requests the next frame
    /// through this cell, so emptying it ends the loop.
    callback: Rc<RefCell<Option<Frame>>>,
    /// The frame requested last, to cancel.
    request: Rc<Cell<Option<i32>>>,
    _visibility: Option<EventListener>,
}

impl Frames {
    fn start(on_tick: Callback<Tick>) -> Frames {
        let callback: Rc<RefCell<Option<Frame>>> = Rc::default();
        let request: Rc<Cell<Option<i32>>> = Rc::default();
        // The previous frame's timestamp; forgotten while hidden, so that
        // the hidden time is never counted.
        let last: Rc<Cell<Option<f64>>> = Rc::default();
        let mut carry = 0.0;
        let frame = {
            let callback = Rc::clone(&callback);
            let request = Rc::clone(&request);
            let last = Rc::clone(&last);
            let on_tick = on_tick.clone();
            Frame::new(move |now: f64| {
                request.set(None);
                if tab_hidden() {
                    last.set(None);
                } else {
                    if let Some(before) = last.get() {
                        let passed = (now - before).clamp(0.0, MAX_FRAME_MS) + carry;
                        let whole = passed.floor();
                        carry = passed - whole;
                        if whole > 0.0 {
                            // Whole milliseconds, at most MAX_FRAME_MS + 1.
                            on_tick.emit(Tick::Elapsed(whole as u64));
                        }
                    }
                    last.set(Some(now));
                }
                // Stopped while reporting (the end reached): no next frame.
                if let Some(frame) = callback.borrow().as_ref() {
                    request.set(request_frame(frame));
                }
            })
        };
        request.set(request_frame(&frame));
        *callback.borrow_mut() = Some(frame);
        let visibility = web_sys::window()
            .and_then(|w| w.document())
            .map(|document| {
                EventListener::new(&document, "visibilitychange", move |_| {
                    if tab_hidden() {
                        last.set(None);
                        on_tick.emit(Tick::Hidden);
                    }
                })
            });
        Frames {
            callback,
            request,
            _visibility: visibility,
        }
    }
}

impl Drop for Frames {
    fn drop(&mut self) {
        if let (Some(id), Some(window)) = (self.request.take(), web_sys::window()) {
            let _ = window.cancel_animation_frame(id);
        }
        self.callback.borrow_mut().take();
    }
}

fn request_frame(frame: &Frame) -> Option<i32> {
    web_sys::window()?
        .request_animation_frame(frame.as_ref().unchecked_ref())
        .ok()
}
