"""Commands an editor or CI runs besides check and render: diff, codeowners."""
