//! The sample dataset behind `db(...)` sources: an IndexedDB store the
//! browser I/O creates and fills on first use. Plain Rust, so the records
//! are the same on every machine and native tests cover them.

/// The sample database, created and filled on first use.
pub const DB_NAME: &str = "async-playground";
/// Its schema version: a new one re-runs the upgrade (the seed).
pub const DB_VERSION: u32 = 1;
/// The sample store: records `{id, age, income, score, name}` keyed by `id`.
pub const DB_STORE: &str = "features";
/// How many sample records the store holds (ids 1 to this).
pub const DB_RECORDS: u32 = 60;

/// One record of the sample store.
#[derive(Clone, Debug, PartialEq)]
pub struct SampleRecord {
    pub id: u32,
    pub age: f64,
    pub income: f64,
    pub score: f64,
    pub name: String,
}

/// The sample record `id`: `(age, income, score)`, the same on every machine.
///
/// ```
/// use async_playground::source::sample::sample_record;
/// assert_eq!(sample_record(1), (55.0, 27_900.0, 6.1));
/// ```
pub fn sample_record(id: u32) -> (f64, f64, f64) {
    let age = 18 + (id * 37) % 53;
    let income = 20_000 + (id * 7_919) % 80_000 / 100 * 100;
    let score = (id * 61) % 1_000;
    (age as f64, income as f64, score as f64 / 10.0)
}

/// Every record of the sample store as a JSON array, in key order: what the
/// browser puts in the store when it creates it. Each record's keys come in
/// this order (`id, age, income, score, name`), which is the order error
/// messages list them in.
///
/// ```
/// use async_playground::source::sample::sample_records_json;
/// assert!(sample_records_json()
///     .starts_with(r#"[{"id":1,"age":55,"income":27900,"score":6.1,"name":"user-1"},"#));
/// ```
pub fn sample_records_json() -> String {
    let mut json = crate::json::Json::default();
    json.array(sample_records(), |json, record| {
        json.object(|o| {
            o.integer("id", record.id.into());
            o.number("age", record.age);
            o.number("income", record.income);
            o.number("score", record.score);
            o.string("name", &record.name);
        })
    });
    json.finish()
}

/// Every record of the sample store, ids 1 to [`DB_RECORDS`], in key order.
///
/// ```
/// use async_playground::source::sample::{sample_records, DB_RECORDS};
/// let records: Vec<_> = sample_records().collect();
/// assert_eq!(records.len() as u32, DB_RECORDS);
/// assert_eq!(records[0].name, "user-1");
/// ```
pub fn sample_records() -> impl Iterator<Item = SampleRecord> {
    (1..=DB_RECORDS).map(|id| {
        let (age, income, score) = sample_record(id);
        SampleRecord {
            id,
            age,
            income,
            score,
            name: format!("user-{id}"),
        }
    })
}
