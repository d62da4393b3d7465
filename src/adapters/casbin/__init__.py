"""The access policy decided by Casbin: the model and the policy ship as files in this package."""
