# Offline: fake keys, no account lookup, no metadata service; `terraform plan` reads nothing.
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "AKIAIOSFODNN7EXAMPLE"
  secret_key                  = "not-a-real-secret-key-used-for-an-offline-plan"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  s3_use_path_style           = true

  # Tags every resource gets: the plan's `tags_all`, which the converter reads.
  default_tags {
    tags = { DataClass = "PHI", Owner = "records-team" }
  }
}
