//! `use_reducer` for states that are too costly to clone: a replayed world
//! per action would be copied on every clock frame. `Owned` moves its value
//! into each next state instead, so Yew still sees a new state (and redraws)
//! while the world is never copied.

use std::cell::{Ref, RefCell};
use std::rc::Rc;

use yew::prelude::*;

/// A state machine that a function component keeps with `use_reducer`.
pub(crate) trait Machine {
    type Action;

    /// Applies `action`; false when nothing the page shows has changed.
    fn update(&mut self, action: Self::Action) -> bool;
}

/// A `Machine` held by `use_reducer`. Only the latest state holds the
/// value; a state that was replaced is empty, and nothing reads it, since
/// a `UseReducerHandle` always derefs to the latest state.
pub(crate) struct Owned<T>(RefCell<Option<T>>);

impl<T> Owned<T> {
    pub(crate) fn new(value: T) -> Owned<T> {
        Owned(RefCell::new(Some(value)))
    }

    /// The value, to draw it.
    pub(crate) fn get(&self) -> Ref<'_, T> {
        Ref::map(self.0.borrow(), |value| {
            value.as_ref().expect("only the latest state is read")
        })
    }

    /// The value, to act on it outside an action (leaving the page).
    pub(crate) fn with_mut(&self, f: impl FnOnce(&mut T)) {
        if let Some(value) = self.0.borrow_mut().as_mut() {
            f(value);
        }
    }
}

impl<T: Machine> Reducible for Owned<T> {
    type Action = T::Action;

    fn reduce(self: Rc<Self>, action: T::Action) -> Rc<Self> {
        let Some(mut value) = self.0.borrow_mut().take() else {
            return self;
        };
        if value.update(action) {
            Rc::new(Owned::new(value))
        } else {
            *self.0.borrow_mut() = Some(value);
            self
        }
    }
}
