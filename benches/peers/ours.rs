//! libgcounter driven through its C ABI, as a C program would drive `libgcounter.so`.

use std::ffi::c_char;
use std::ptr;

use gcounter::ffi::{
    gcounter_agent_count, gcounter_clone, gcounter_delta_for, gcounter_free, gcounter_from_json,
    gcounter_increment_len, gcounter_join, gcounter_new, gcounter_slot_at, gcounter_status,
    gcounter_string_free, gcounter_t, gcounter_take_delta, gcounter_to_json, gcounter_value,
    gcounter_value_exact, GCOUNTER_OK,
};

/// An owned `gcounter_t *`, freed with `gcounter_free` on drop.
pub struct Handle(*mut gcounter_t);

fn check(status: gcounter_status) {
    assert_eq!(status, GCOUNTER_OK, "a benchmark call failed");
}

impl Handle {
    pub fn new() -> Handle {
        let handle = gcounter_new();
        assert!(!handle.is_null());
        Handle(handle)
    }

    /// A counter with `counts[i]` in the slot of `agent_ids[i]`, made by increments.
    pub fn with_counts(agent_ids: &[String], counts: &[u64]) -> Handle {
        let mut handle = Handle::by_increments(agent_ids, counts);
        handle.discard_delta();
        handle
    }

    /// A counter of `agent_ids` at `counts`, made by increments alone, in that order: its slots
    /// have never settled into id order (no delta taken, no join, no load, no walk).
    pub fn by_increments(agent_ids: &[String], counts: &[u64]) -> Handle {
        let mut handle = Handle::new();
        for (agent_id, &count) in agent_ids.iter().zip(counts) {
            check(handle.increment(agent_id, count));
        }
        handle
    }

    /// `gcounter_increment_len`: the call the increment benchmarks time.
    #[inline(always)]
    pub fn increment(&mut self, agent_id: &str, by: u64) -> gcounter_status {
        // SAFETY: a live handle, used by this thread alone; the id is valid for its length.
        unsafe { gcounter_increment_len(self.0, agent_id.as_ptr().cast(), agent_id.len(), by) }
    }

    pub fn join(&mut self, other: &Handle) -> gcounter_status {
        // SAFETY: two live handles, `self` used by this thread alone.
        unsafe { gcounter_join(self.0, other.0) }
    }

    pub fn value(&self) -> u64 {
        let mut value = 0;
        // SAFETY: a live handle and a writable out-parameter.
        check(unsafe { gcounter_value(self.0, &mut value) });
        value
    }

    pub fn value_exact(&self) -> u128 {
        let (mut high, mut low) = (0, 0);
        // SAFETY: a live handle and two distinct writable out-parameters.
        check(unsafe { gcounter_value_exact(self.0, &mut high, &mut low) });
        u128::from(high) << 64 | u128::from(low)
    }

    pub fn agent_count(&self) -> usize {
        // SAFETY: a live handle.
        unsafe { gcounter_agent_count(self.0) }
    }

    /// Walks every slot with `gcounter_slot_at`, as a C program reads the slots without JSON,
    /// and returns the sum of the counts and of the ids' lengths (so no read can be skipped).
    pub fn walk_slots(&self) -> (u128, usize) {
        let (mut total, mut id_bytes) = (0u128, 0usize);
        for index in 0..self.agent_count() {
            let (mut agent_id, mut len, mut count): (*const c_char, usize, u64) =
                (ptr::null(), 0, 0);
            // SAFETY: a live handle that nothing mutates meanwhile; distinct writable
            // out-parameters.
            check(unsafe { gcounter_slot_at(self.0, index, &mut agent_id, &mut len, &mut count) });
            total += u128::from(count);
            id_bytes += len;
        }
        (total, id_bytes)
    }

    /// `gcounter_delta_for`: what `peer` lacks of this counter.
    pub fn delta_for(&self, peer: &Handle) -> Handle {
        let mut delta = ptr::null_mut();
        // SAFETY: two live handles that nothing mutates meanwhile; a writable out-parameter.
        check(unsafe { gcounter_delta_for(self.0, peer.0, &mut delta) });
        Handle(delta)
    }

    pub fn to_json(&self) -> JsonString {
        let mut json: *mut c_char = ptr::null_mut();
        let mut len = 0;
        // SAFETY: a live handle and writable out-parameters.
        check(unsafe { gcounter_to_json(self.0, &mut json, &mut len) });
        JsonString { json, len }
    }

    pub fn from_json(json: &[u8]) -> Handle {
        let mut handle = ptr::null_mut();
        // SAFETY: `json` is valid for its length; the out-parameter is writable.
        check(unsafe { gcounter_from_json(json.as_ptr().cast(), json.len(), &mut handle) });
        Handle(handle)
    }

    pub fn take_delta(&mut self) -> Handle {
        let mut delta = ptr::null_mut();
        // SAFETY: a live handle, used by this thread alone; a writable out-parameter.
        check(unsafe { gcounter_take_delta(self.0, &mut delta) });
        Handle(delta)
    }

    /// Empties the delta record, as a replica does once it has sent its delta.
    pub fn discard_delta(&mut self) {
        drop(self.take_delta());
    }
}

impl Clone for Handle {
    fn clone(&self) -> Handle {
        // SAFETY: a live handle that nothing mutates meanwhile.
        let copy = unsafe { gcounter_clone(self.0) };
        assert!(!copy.is_null());
        Handle(copy)
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: the handle came from this library and is freed once, here.
        unsafe { gcounter_free(self.0) }
    }
}

/// A string from `gcounter_to_json`, freed with `gcounter_string_free` on drop.
pub struct JsonString {
    json: *mut c_char,
    len: usize,
}

impl JsonString {
    pub fn as_bytes(&self) -> &[u8] {
        // SAFETY: `gcounter_to_json` wrote `len` bytes at `json`, alive until the drop.
        unsafe { std::slice::from_raw_parts(self.json.cast::<u8>(), self.len) }
    }
}

impl Drop for JsonString {
    fn drop(&mut self) {
        // SAFETY: the string came from `gcounter_to_json` and is freed once, here.
        unsafe { gcounter_string_free(self.json) }
    }
}
