($scope::varchar[] is null or list_contains($scope::varchar[], street_code))
