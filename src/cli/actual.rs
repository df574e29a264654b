//! `usage --plan` and the flags that go with it (README, "Are we on plan?"), flattened
//! into `UsageArgs`.

use super::values::{Number, parse_month};
use crate::date::Month;
use crate::number;
use clap::Args;
use rust_decimal::Decimal;

/// `stabcost usage --plan PLAN`: the month's calls against a plan.
#[derive(Debug, Args)]
pub struct ActualArgs {
    /// Set the calls against this plan: each workload against the calls tagged with its
    /// name or its tags, with the month-end forecast and the spikes ('-': standard input)
    #[arg(
        long,
        value_name = "PLAN",
        allow_hyphen_values = true,
        help_heading = "Plan against actual"
    )]
    pub plan: Option<String>,

    /// The month to set against the plan (default: the log's last month)
    #[arg(long, value_name = "YYYY-MM", value_parser = parse_month, requires = "plan",
          help_heading = "Plan against actual")]
    pub month: Option<Month>,

    /// Days the forecast's run rate is read from, up to the log's last day [default: 7]
    #[arg(long, value_name = "N", requires = "plan",
          value_parser = clap::value_parser!(u32).range(3..=366),
          help_heading = "Plan against actual")]
    pub window: Option<u32>,

    /// Monthly budget in dollars, instead of the plan's budget-usd
    #[arg(long, value_name = "USD", allow_negative_numbers = true, requires = "plan",
          value_parser = Number::new(number::parse_usd_positive, "a budget greater than zero, such as 250"),
          help_heading = "Plan against actual")]
    pub budget: Option<Decimal>,

    /// Exit 3 after the report when the month's actual or its forecast is over the budget
    #[arg(long, requires = "plan", help_heading = "Plan against actual")]
    pub fail_if_over: bool,

    /// The account's credit balance now: how many days it lasts at the run rate, and the
    /// top-up packs to last the month
    #[arg(long, value_name = "CREDITS", allow_negative_numbers = true, requires = "plan",
          value_parser = Number::new(number::parse_non_negative, "a number of credits of 0 or more, such as 3000"),
          help_heading = "Plan against actual")]
    pub balance: Option<Decimal>,

    /// A spike is a day above this many times the median of the 14 days before it (with
    /// --plan or --group-by day) [default: 3]
    #[arg(long, value_name = "FACTOR", allow_negative_numbers = true,
          value_parser = Number::new(number::parse_positive, "a factor greater than zero, such as 3 or 2.5"),
          help_heading = "Plan against actual")]
    pub spike_factor: Option<Decimal>,
}
