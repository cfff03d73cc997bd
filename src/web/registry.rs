//! The one registry of hooks: a list per kind of hook ([`Hooks`]), kept by the
//! [`Registry`] that `web::stage` manages before any feature attaches.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, RwLock};

/// Registered hooks of one kind (managed state): features add theirs at ignite;
/// the list is fixed on first use.
pub struct Hooks<H: ?Sized> {
    adding: Mutex<Vec<(i32, Arc<H>)>>,
    fixed: OnceLock<Box<[Arc<H>]>>,
}

impl<H: ?Sized> Default for Hooks<H> {
    fn default() -> Self {
        Hooks {
            adding: Mutex::default(),
            fixed: OnceLock::new(),
        }
    }
}

impl<H: ?Sized> Hooks<H> {
    /// Registers `hook`, to run at `order` (ascending; equal orders in registration
    /// order).
    ///
    /// # Panics
    /// Once the list is in use.
    pub fn add(&self, order: i32, hook: Arc<H>) {
        assert!(self.fixed.get().is_none(), "hooks are added before liftoff");
        self.adding
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((order, hook));
    }

    /// The hooks added so far (before liftoff, without fixing the list), in the
    /// order they were added.
    pub fn added(&self) -> Vec<Arc<H>> {
        match self.fixed.get() {
            Some(fixed) => fixed.to_vec(),
            None => {
                let adding = self.adding.lock().unwrap_or_else(|e| e.into_inner());
                adding.iter().map(|(_, hook)| hook.clone()).collect()
            }
        }
    }

    /// The hooks, in order.
    pub fn all(&self) -> &[Arc<H>] {
        self.fixed.get_or_init(|| {
            let mut hooks =
                std::mem::take(&mut *self.adding.lock().unwrap_or_else(|e| e.into_inner()));
            hooks.sort_by_key(|(order, _)| *order);
            hooks.into_iter().map(|(_, hook)| hook).collect()
        })
    }
}

/// The one registry of hooks (managed state of [`web::stage`](super::stage),
/// which is attached before any feature): a list per kind of hook, made on first
/// use, so the features' stages may attach in any order and no registration is
/// lost. Each list lives as long as the process (one small leak per kind and
/// instance), so a request borrows it without a reference count.
#[derive(Default)]
pub struct Registry(RwLock<HashMap<TypeId, &'static (dyn Any + Send + Sync)>>);

impl Registry {
    /// The list of hooks of kind `H`.
    pub fn list<H: ?Sized + Send + Sync + 'static>(&self) -> &'static Hooks<H> {
        let id = TypeId::of::<Hooks<H>>();
        let found = self
            .0
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&id)
            .copied();
        let list = found.unwrap_or_else(|| {
            let mut lists = self.0.write().unwrap_or_else(|e| e.into_inner());
            *lists.entry(id).or_insert_with(|| {
                let made: &'static Hooks<H> = Box::leak(Box::default());
                made
            })
        });
        list.downcast_ref()
            .expect("a list is kept under its own type")
    }
}

/// `rocket`'s registry.
///
/// # Panics
/// When [`web::stage`](super::stage) was not attached before the feature that
/// registers: the launch stops, saying so.
pub fn registry<P: rocket::Phase>(rocket: &rocket::Rocket<P>) -> &Registry {
    rocket.state::<Registry>().expect(
        "a feature registered a hook before web::stage() was attached: attach \
         web::stage() first, it holds the hooks' registry",
    )
}

/// The hooks of kind `H`, in order (none without the registry).
pub fn hooks_of<H: ?Sized + Send + Sync + 'static>(
    rocket: &rocket::Rocket<rocket::Orbit>,
) -> &'static [Arc<H>] {
    rocket
        .state::<Registry>()
        .map_or(&[][..], |r| r.list::<H>().all())
}

#[cfg(test)]
mod tests {
    use super::Hooks;
    use crate::web::PagePhase;
    use std::sync::Arc;

    #[test]
    fn hooks_run_by_phase_then_in_registration_order() {
        let hooks: Hooks<str> = Hooks::default();
        for (phase, name) in [
            (PagePhase::Follow, "experiments"),
            (PagePhase::Choices, "preferences"),
            (PagePhase::Identify, "login"),
            (PagePhase::Choices, "cart"),
            (PagePhase::Decide, "rules"),
            (PagePhase::Plan, "tracking"),
        ] {
            hooks.add(phase as i32, Arc::from(name));
        }
        let order: Vec<&str> = hooks.all().iter().map(|h| &**h).collect();
        assert_eq!(
            order,
            [
                "login",
                "preferences",
                "cart",
                "tracking",
                "rules",
                "experiments"
            ]
        );
    }
}
