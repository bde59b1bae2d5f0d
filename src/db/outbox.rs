//! Queries on `outbox`: queue a mail, claim the due ones, record how sending went.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::entities::outbox::{self, Column, Entity as Outbox};

/// A mail to queue.
#[derive(Debug)]
pub struct NewMail<'a> {
    pub recipient: &'a str,
    pub subject: &'a str,
    pub text_body: &'a str,
    pub html_body: &'a str,
    pub link: Option<&'a str>,
}

/// Queues a mail, due at once. Through `db`: the pool, or the transaction of what caused it.
///
/// # Errors
/// Database failure.
pub async fn queue_mail(db: &impl ConnectionTrait, mail: NewMail<'_>, now: i64) -> Result<i64, DbErr> {
    let row = outbox::ActiveModel {
        created_at: Set(now),
        recipient: Set(mail.recipient.to_owned()),
        subject: Set(mail.subject.to_owned()),
        text_body: Set(mail.text_body.to_owned()),
        html_body: Set(mail.html_body.to_owned()),
        link: Set(mail.link.map(str::to_owned)),
        attempts: Set(0),
        next_attempt_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

/// Ids of up to `limit` mails due at `now` that nobody is sending.
///
/// # Errors
/// Database failure.
pub async fn due_mail_ids(db: &impl ConnectionTrait, now: i64, limit: u64) -> Result<Vec<i64>, DbErr> {
    Outbox::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::SentAt.is_null())
        .filter(Column::FailedAt.is_null())
        .filter(Column::NextAttemptAt.lte(now))
        .filter(Condition::any().add(Column::ClaimedUntil.is_null()).add(Column::ClaimedUntil.lt(now)))
        .order_by_asc(Column::Id)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await
}

/// Claims mail `id` for sending until `until` (one conditional update: of two instances, one
/// wins) and counts the attempt; returns the mail if this call claimed it.
///
/// # Errors
/// Database failure.
pub async fn claim_mail(
    db: &impl ConnectionTrait,
    id: i64,
    now: i64,
    until: i64,
) -> Result<Option<outbox::Model>, DbErr> {
    let claimed = Outbox::update_many()
        .col_expr(Column::ClaimedUntil, Expr::value(until))
        .col_expr(Column::Attempts, Expr::col(Column::Attempts).add(1))
        .filter(Column::Id.eq(id))
        .filter(Column::SentAt.is_null())
        .filter(Column::FailedAt.is_null())
        .filter(Condition::any().add(Column::ClaimedUntil.is_null()).add(Column::ClaimedUntil.lt(now)))
        .exec(db)
        .await?;
    if claimed.rows_affected == 0 {
        return Ok(None);
    }
    Outbox::find_by_id(id).one(db).await
}

/// What became of one attempt to send a mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome<'a> {
    Sent,
    /// Try again at `retry_at`.
    Deferred {
        retry_at: i64,
        error: &'a str,
    },
    /// Given up.
    Failed {
        error: &'a str,
    },
}

/// Records the outcome of the attempt on mail `id`; a sent or failed mail loses its link.
///
/// # Errors
/// Database failure.
pub async fn record_outcome(
    db: &impl ConnectionTrait,
    id: i64,
    outcome: Outcome<'_>,
    now: i64,
) -> Result<(), DbErr> {
    let update = Outbox::update_many().col_expr(Column::ClaimedUntil, Expr::value(None::<i64>));
    let update = match outcome {
        Outcome::Sent => update
            .col_expr(Column::SentAt, Expr::value(now))
            .col_expr(Column::Link, Expr::value(None::<String>)),
        Outcome::Deferred { retry_at, error } => update
            .col_expr(Column::NextAttemptAt, Expr::value(retry_at))
            .col_expr(Column::LastError, Expr::value(error)),
        Outcome::Failed { error } => update
            .col_expr(Column::FailedAt, Expr::value(now))
            .col_expr(Column::LastError, Expr::value(error))
            .col_expr(Column::Link, Expr::value(None::<String>)),
    };
    update.filter(Column::Id.eq(id)).exec(db).await.map(|_| ())
}

/// Deletes mail sent or given up before `before`; returns how many.
///
/// # Errors
/// Database failure.
pub async fn purge_mail(db: &impl ConnectionTrait, before: i64) -> Result<u64, DbErr> {
    let done = Condition::any().add(Column::SentAt.lt(before)).add(Column::FailedAt.lt(before));
    Ok(Outbox::delete_many().filter(done).exec(db).await?.rows_affected)
}
