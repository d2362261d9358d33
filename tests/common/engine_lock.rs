//! Many tests, one engine, one test process.
//!
//! The tests of a binary run side by side on the same engine. Most add and
//! remove only objects with names of their own, so they may overlap; a few act
//! on the whole engine and must run alone:
//! - a full `dev verify` of the built-in pack turns swarm mode on and off,
//!   removes every object named by a lesson's `creates`, and compares the
//!   engine's objects before and after (`engine_safety`);
//! - `reset --all` removes every managed container that carries no install
//!   value, other tests' bystanders included (`reset_engine`).
//!
//! [`share`] is taken by every test that asks for the engine
//! ([`super::engine`], [`super::engine_tests_skipped`]); [`alone`] waits until
//! no other test holds the engine and keeps them all out. Either is held by
//! the test's thread until it ends (libtest runs each test on a thread of its
//! own), so a test needs no guard variable and a failed assertion releases it
//! too.

use std::cell::RefCell;
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

static ENGINE: RwLock<()> = RwLock::new(());

/// Kept only to be dropped when the thread ends.
#[allow(dead_code)]
enum Held {
    Shared(RwLockReadGuard<'static, ()>),
    Alone(RwLockWriteGuard<'static, ()>),
}

thread_local! {
    static HELD: RefCell<Option<Held>> = const { RefCell::new(None) };
}

/// Share the engine with the other tests of this binary until this test
/// ends. Nothing when this test already holds it (shared or alone).
pub fn share() {
    HELD.with(|held| {
        let mut held = held.borrow_mut();
        if held.is_none() {
            let guard = ENGINE.read().unwrap_or_else(PoisonError::into_inner);
            *held = Some(Held::Shared(guard));
        }
    });
}

/// Have the engine to this test alone until it ends: waits for every test
/// that shares it, and no test of this binary gets it meanwhile. Call it
/// before [`super::engine`].
pub fn alone() {
    HELD.with(|held| {
        let mut held = held.borrow_mut();
        match *held {
            Some(Held::Alone(_)) => {}
            Some(Held::Shared(_)) => panic!(
                "this test shares the engine already: call engine_lock::alone() before common::engine()"
            ),
            None => {
                let guard = ENGINE.write().unwrap_or_else(PoisonError::into_inner);
                *held = Some(Held::Alone(guard));
            }
        }
    });
}
