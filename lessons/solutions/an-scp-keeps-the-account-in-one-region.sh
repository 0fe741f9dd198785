# An SCP only subtracts: the account joins an organization with FullAWSAccess
# attached, and this Deny takes away every request to another Region's
# endpoint, except the global services' (IAM User Guide, "Denies access to
# AWS based on the requested Region").
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
aws iam simulate-principal-policy --policy-source-arn arn:aws:iam::111122223333:role/ledgerRole \
    --action-names dynamodb:PutItem \
    --resource-arns arn:aws:dynamodb:us-east-1:111122223333:table/ledger arn:aws:dynamodb:eu-west-1:111122223333:table/ledger \
    --context-entries ContextKeyName=aws:RequestedRegion,ContextKeyValues=eu-west-1,ContextKeyType=string \
    --query 'EvaluationResults[].[EvalResourceName,EvalDecision]' --output text
