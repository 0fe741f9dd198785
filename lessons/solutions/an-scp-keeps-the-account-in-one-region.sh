# An SCP only subtracts: the member account has FullAWSAccess attached, and
# this Deny takes away every request to another Region's endpoint, except
# the global services' (IAM User Guide, "Denies access to AWS based on the
# requested Region"). The calls are the management account's; the terminal
# has no shell variables, so the policy ID create-policy prints is written
# out in attach-policy.
aws organizations create-policy --type SERVICE_CONTROL_POLICY --name us-east-1-only \
    --description 'Data stays in us-east-1' --content '{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "DenyOutsideUsEast1",
    "Effect": "Deny",
    "NotAction": ["iam:*", "organizations:*", "sts:*"],
    "Resource": "*",
    "Condition": {"StringNotEquals": {"aws:RequestedRegion": "us-east-1"}}
  }]
}' --query 'Policy.PolicySummary.Id' --output text
aws organizations attach-policy --policy-id p-m9fip59q --target-id 111122223333
# The role's own policy allows both writes; the SCP decides the one outside us-east-1.
aws iam simulate-principal-policy --policy-source-arn arn:aws:iam::111122223333:role/ledgerRole \
    --action-names dynamodb:PutItem --resource-arns arn:aws:dynamodb:us-east-1:111122223333:table/ledger \
    --context-entries ContextKeyName=aws:RequestedRegion,ContextKeyValues=us-east-1,ContextKeyType=string \
    --query 'EvaluationResults[0].EvalDecision' --output text
aws iam simulate-principal-policy --policy-source-arn arn:aws:iam::111122223333:role/ledgerRole \
    --action-names dynamodb:PutItem --resource-arns arn:aws:dynamodb:eu-west-1:111122223333:table/ledger \
    --context-entries ContextKeyName=aws:RequestedRegion,ContextKeyValues=eu-west-1,ContextKeyType=string \
    --query 'EvaluationResults[0].[EvalDecision,OrganizationsDecisionDetail.AllowedByOrganizations]' --output text
