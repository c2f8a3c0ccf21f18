//! serde support: a counter is the wire format's map `{agent_id: count}`, with the wire format's
//! rules (no duplicate ids, zero counts mean absent), inside any serde format.

use std::fmt;

use ::serde::de::{self, MapAccess, Visitor};
use ::serde::ser::SerializeMap;
use ::serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::counter::GCounter;
use crate::escape::quoted;
use crate::slots::SlotTable;

/// Serializes as the wire format's map, in canonical order; with `serde_json` the bytes
/// equal [`GCounter::to_json`].
impl Serialize for GCounter {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.agent_count()))?;
        for (agent_id, count) in self.slots() {
            map.serialize_entry(agent_id, &count)?;
        }
        map.end()
    }
}

/// Deserializes a map of agent ids to unsigned integers, with the wire format's rules:
/// duplicate ids are an error and zero counts mean absent.
impl<'de> Deserialize<'de> for GCounter {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(CounterVisitor)
    }
}

struct CounterVisitor;

impl<'de> Visitor<'de> for CounterVisitor {
    type Value = GCounter;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map of agent ids to counts from 0 to 2^64 - 1")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<GCounter, A::Error> {
        let mut slots = SlotTable::default();
        while let Some((agent_id, count)) = map.next_entry::<String, u64>()? {
            let (position, inserted) = slots.find_or_insert(&agent_id);
            if !inserted {
                return Err(de::Error::custom(format!(
                    "duplicate agent id {}",
                    quoted(&agent_id)
                )));
            }
            slots.set_count_at(position, count);
        }
        Ok(GCounter::from_slots(slots))
    }
}
